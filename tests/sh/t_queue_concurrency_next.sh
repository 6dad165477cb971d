# Concurrency with `decide --next` (decide and claim in one transaction)
# running against claim-then-decide workers, over two models.
MODE=next MODELS=2
. "$DOCKET_TESTS/sh/queue_concurrency.sh"
