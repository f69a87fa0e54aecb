-- What the seeder last loaded, so that `db up` and `run` reseed only when the seed or size changed.
CREATE TABLE jobbench_seed_state (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seed       integer     NOT NULL,
  jobs       integer     NOT NULL,
  seeded_at  timestamptz NOT NULL DEFAULT now()
);
