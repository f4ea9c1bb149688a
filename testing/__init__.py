"""Support shared by the tests and the benchmarks (`bench/`): never imported by the shop itself
and not in the production image (.dockerignore), like `stripe_emulator.testing` for the
emulator."""
