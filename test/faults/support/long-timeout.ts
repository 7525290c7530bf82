import { jest } from '@jest/globals';

// A fault scenario runs a workload through crashes and outages: minutes, not seconds.
jest.setTimeout(180_000);
