import type { Locator, Page } from 'playwright-core';
import { pressWithKeyboard, toggleWithKeyboard, typeWithKeyboard } from './keyboard.js';

/**
 * How a browser flow operates the page: with the pointer (clicks, fills), or with the keyboard
 * only (Tab to reach a control, Enter or Space to use it, keys to type). Every flow runs once
 * each way, so nothing in it needs a mouse.
 */
export interface Actor {
  readonly mode: 'pointer' | 'keyboard';
  /** Follows a link or presses a button. */
  press(locator: Locator, what: string): Promise<void>;
  /** Ticks or unticks a checkbox, or picks a radio button. */
  toggle(locator: Locator, what: string): Promise<void>;
  /** Replaces a text field's value. */
  type(locator: Locator, text: string, what: string): Promise<void>;
}

export const ACTOR_MODES = ['pointer', 'keyboard'] as const;

/** The actor of `mode` for `page`. */
export function actorFor(page: Page, mode: Actor['mode']): Actor {
  if (mode === 'keyboard') {
    return {
      mode,
      press: (locator, what) => pressWithKeyboard(page, locator, what),
      toggle: (locator, what) => toggleWithKeyboard(page, locator, what),
      type: (locator, text, what) => typeWithKeyboard(page, locator, text, what),
    };
  }
  return {
    mode,
    press: (locator) => locator.click(),
    toggle: (locator) => locator.click(),
    type: (locator, text) => locator.fill(text),
  };
}
