"""`make bench`: the shop's benchmarks (`python -m bench`). Figures, never a pass or a fail.

A development tool like the tests: it drives the shop against the offline Stripe emulator, so it
lives outside the shop's apps (nothing in project/, catalog/ or payments/ imports the emulator)
and outside the production image (.dockerignore).
"""
