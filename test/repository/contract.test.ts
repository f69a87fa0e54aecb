import { describeContract } from './contract-suite.ts';

// One contract, run once per adapter of the registry, straight to PostgreSQL (test/ops runs the same
// contract through PgBouncer).
await describeContract();
