import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { freePort } from '@codiesvibe/shared/testing';
import type { Tool } from '@codiesvibe/shared/domain';
import { renderApp } from '../testing/render-app.js';
import { EMBEDDED_TOOL_ID, takeEmbeddedTool } from './embedded-tool.js';

const tool: Tool = {
  slug: 'embedded-one',
  name: 'Embedded One',
  tagline: 'Sent with the page',
  description: 'A tool the server rendered into the page.',
  website: 'https://embedded.example/',
  categories: ['testing'],
  tags: [],
  pricing: { model: 'free' },
  platforms: ['web'],
  openSource: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

function embed(value: unknown): void {
  const script = document.createElement('script');
  script.id = EMBEDDED_TOOL_ID;
  script.type = 'application/json';
  script.textContent = JSON.stringify(value);
  document.head.append(script);
}

describe('the tool the gateway embeds in a rendered page', () => {
  it('is shown at once, without asking the API (here: nothing listens)', async () => {
    embed(tool);
    renderApp(`/tools/${tool.slug}`, `http://127.0.0.1:${await freePort()}`);
    expect(screen.getByRole('heading', { level: 1, name: 'Embedded One' })).toBeTruthy();
    expect(document.getElementById(EMBEDDED_TOOL_ID)).toBeNull();
  });

  it('is read once, and only for its own slug', () => {
    embed(tool);
    expect(takeEmbeddedTool('another-tool')).toBeUndefined();
    expect(document.getElementById(EMBEDDED_TOOL_ID)).toBeNull();
    embed('{broken');
    expect(takeEmbeddedTool(tool.slug)).toBeUndefined();
  });
});
