import type { ConfigError } from '@codiesvibe/shared';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

describe('readConfig', () => {
  it('has working defaults: port 4002, embedded store, no Ollama', () => {
    const config = readConfig({}, 'throw');
    expect(config).toMatchObject({
      PORT: 4002,
      HOST: '0.0.0.0',
      MCP_SERVER_URL: 'http://127.0.0.1:3001/mcp',
      DATA_DIR: '.data/fastify-api',
    });
    expect(config.OLLAMA_URL).toBeUndefined();
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('reads the contract variables', () => {
    const config = readConfig(
      {
        PORT: '5000',
        MCP_SERVER_URL: 'http://mcp-server:3001/mcp',
        OLLAMA_URL: 'http://ollama:11434',
        OLLAMA_CHAT_MODEL: 'qwen2.5:3b',
        OLLAMA_EMBED_MODEL: 'all-minilm',
        MONGODB_URI: 'mongodb://mongodb:27017/codiesvibe',
      },
      'throw',
    );
    expect(config).toMatchObject({
      PORT: 5000,
      OLLAMA_URL: 'http://ollama:11434',
      OLLAMA_CHAT_MODEL: 'qwen2.5:3b',
      OLLAMA_EMBED_MODEL: 'all-minilm',
    });
  });

  it('names every bad variable in one error, without printing a MongoDB URI', () => {
    let message = '';
    try {
      readConfig(
        {
          PORT: 'abc',
          MCP_SERVER_URL: 'mcp-server',
          OLLAMA_URL: 'ftp://x',
          OLLAMA_INTENT_TIMEOUT_MS: '-1',
          MONGODB_URI: 'http://user:hunter2@db',
        },
        'throw',
      );
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['PORT', 'MCP_SERVER_URL', 'OLLAMA_URL', 'OLLAMA_INTENT_TIMEOUT_MS', 'MONGODB_URI'])
      expect(message).toContain(name);
    expect(message).not.toContain('hunter2');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('needs MongoDB in staging and production unless CODIESVIBE_EMBEDDED lists MONGODB_URI', () => {
    for (const nodeEnv of ['staging', 'production']) {
      let problems: string[] = [];
      try {
        readConfig({ NODE_ENV: nodeEnv }, 'throw');
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems).toEqual([
        `MONGODB_URI is required in ${nodeEnv} (or MONGODB_URI_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED`,
      ]);
      expect(readConfig({ NODE_ENV: nodeEnv, CODIESVIBE_EMBEDDED: 'MONGODB_URI,REDIS_URL' }, 'throw').CODIESVIBE_EMBEDDED).toEqual(['MONGODB_URI', 'REDIS_URL']);
    }
    expect(readConfig({ NODE_ENV: 'development' }, 'throw').MONGODB_URI).toBeUndefined();
  });
});
