import type { Locator, Page } from 'playwright-core';

/** How many Tab presses a keyboard user is expected to need at most to reach any control. */
const MAX_TABS = 200;

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement).catch(() => false);
}

/**
 * Moves focus with Tab (forward only, as a keyboard user would) until `locator` has it. Fails
 * when it cannot be reached: a control that only a mouse can reach is a bug.
 */
export async function tabTo(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.waitFor({ timeout: 15_000 });
  for (let presses = 0; presses < MAX_TABS; presses++) {
    if (await isFocused(locator)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${what} was not reached with ${MAX_TABS} presses of Tab`);
}

/** Tabs to a control and presses Enter (links, buttons, form submits). */
export async function pressWithKeyboard(page: Page, locator: Locator, what: string): Promise<void> {
  await tabTo(page, locator, what);
  await page.keyboard.press('Enter');
}

/** Tabs to a checkbox or radio and toggles it with Space. */
export async function toggleWithKeyboard(page: Page, locator: Locator, what: string): Promise<void> {
  await tabTo(page, locator, what);
  await page.keyboard.press('Space');
}

/** Tabs to a text field, selects what is in it and types `text` key by key. */
export async function typeWithKeyboard(
  page: Page,
  locator: Locator,
  text: string,
  what: string,
): Promise<void> {
  await tabTo(page, locator, what);
  await page.keyboard.press('ControlOrMeta+A');
  if (text) await page.keyboard.type(text);
  else await page.keyboard.press('Backspace');
}
