"""Hypothesis strategies for order lines, coupons and tax rates, shared by the totals tests."""

from hypothesis import strategies as st

line_lists = st.one_of(
    st.lists(
        st.tuples(st.just("item"), st.integers(0, 2_000_000), st.integers(1, 999)), max_size=12
    ),
    # Small equal-ish amounts make half-cent ties and equal remainders common.
    st.lists(st.tuples(st.just("item"), st.integers(0, 30), st.integers(1, 3)), max_size=6),
)
# Hundredths of a percent (0.01..100), with round rates that often land on half a cent.
percents = st.one_of(st.none(), st.integers(1, 10_000), st.sampled_from([50, 500, 2500, 5000]))
amounts = st.integers(1, 500_000_000)
# Ten-thousandths of a percent (0.0001..100); 5 %, 25 % and 50 % give half-cent taxes.
tax_rates = st.one_of(
    st.none(), st.integers(1, 1_000_000), st.sampled_from([50_000, 250_000, 500_000])
)
