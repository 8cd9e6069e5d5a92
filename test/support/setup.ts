import 'reflect-metadata';
import fc from 'fast-check';

// Property tests run from a fixed seed, so that CI is reproducible and a failure can be replayed;
// FUZZ_SEED=<n> picks another seed, FUZZ_SEED=random a fresh one per run (for exploring).
const seed = process.env.FUZZ_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261127 });
