"""The search: Table I's space, seeds, NSGA-II, and the stages of one
generation (propose, survive, stopping) up to what a finished search hands
over (finalize)."""
