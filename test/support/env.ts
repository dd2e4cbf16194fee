// Set by test/global-setup.ts, which created and migrated that database for this run.
export const TEST_DATABASE_URL = process.env.CROSSOVER_TEST_DATABASE_URL as string;
export const TEST_REDIS_URL = process.env.CROSSOVER_TEST_REDIS_URL as string;
