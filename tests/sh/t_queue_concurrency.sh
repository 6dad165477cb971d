# Concurrency with claim, then decide: two write transactions a decision.
MODE=two MODELS=1
. "$DOCKET_TESTS/sh/queue_concurrency.sh"
