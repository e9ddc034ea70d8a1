import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolFilters, ToolSort } from '@codiesvibe/shared/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';
import { MongoToolRepository } from '../src/storage/mongo-tool.repository.js';
import type { ToolRepository } from '../src/storage/tool.repository.js';
import {
  describeToolRepositoryContract,
  steppingClock,
  type OpenRepository,
} from './tool-repository.contract.js';

/*
 * One contract suite, run against every adapter: the embedded store (in memory and on disk), and
 * MongoDB when CODIESVIBE_TEST_MONGODB_URI names a disposable server (each test creates and drops
 * its own database).
 */

let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'nestjs-api-contract-'));
});
afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

let opened = 0;
const adapters: [string, OpenRepository][] = [
  ['embedded (SQLite, in memory)', (now) => EmbeddedToolRepository.open({ now })],
  [
    'embedded (SQLite, on disk)',
    (now) => EmbeddedToolRepository.open({ now, dataDir: join(dataRoot, `store-${opened++}`) }),
  ],
];

const mongoUri = process.env.CODIESVIBE_TEST_MONGODB_URI;
if (mongoUri) {
  adapters.push([
    'mongodb',
    (now) =>
      MongoToolRepository.connect({
        uri: mongoUri,
        database: `codiesvibe_contract_${process.pid}_${opened++}`,
        now,
        dropOnClose: true,
      }),
  ]);
} else {
  console.warn(
    'SKIPPED: ToolRepository contract on MongoDB (set CODIESVIBE_TEST_MONGODB_URI to a disposable MongoDB; none is installed on this machine)',
  );
}

for (const [name, open] of adapters) describeToolRepositoryContract(name, open);

describe('adapters agree', () => {
  it.skipIf(adapters.length < 2)('answer the same pages and facets for the same queries', async () => {
    const seed = loadSeedTools();
    const repositories: ToolRepository[] = await Promise.all(
      adapters.map(([, open]) => open(steppingClock())),
    );
    try {
      for (const repository of repositories) await repository.seed(seed, 1);
      const queries: [ToolFilters, ToolSort][] = [
        [{ q: 'code review github' }, 'relevance'],
        [{ q: 'local', platform: ['api'] }, 'relevance'],
        [{ q: 'ag' }, 'relevance'],
        [{ category: ['coding-agent'] }, 'name'],
        [{ openSource: true }, 'newest'],
        [{ q: 'terminal', pricing: ['free', 'open-source'] }, 'name'],
      ];
      for (const [filters, sort] of queries) {
        const [first, ...others] = await Promise.all(
          repositories.map((repository) => repository.list(filters, sort, undefined, 7)),
        );
        for (const other of others) expect(other).toEqual(first);
        const [firstFacets, ...otherFacets] = await Promise.all(
          repositories.map((repository) => repository.facets(filters)),
        );
        for (const other of otherFacets) expect(other).toEqual(firstFacets);
      }
    } finally {
      await Promise.all(repositories.map((repository) => repository.close()));
    }
  });
});
