"""Named rosters: who works which shift, within contracts, availability and labour rules (see `people` for the
typed inputs every other module of this package and the employee files share)."""
