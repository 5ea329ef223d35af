// An admin sets up a server profile through the UI: validation, "test connection", save, and
// switching the desktop over to it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
let page: Page;
let telPort = 0;

beforeAll(async () => {
  h = await startHarness();
  page = h.page;
  telPort = h.lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port ?? 0;
  await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 15_000 });
});
afterAll(async () => {
  await h?.close();
});

const field = (name: string) => page.getByTestId(`profile-field-${name}`);

describe('profiles', () => {
  it('meets the accessibility rules in every vendor’s form, with its optional sections open and closed', async () => {
    await page.getByTestId('profiles-open').click();
    await page.getByTestId('profile-new').click();
    const toggles: Record<string, string | undefined> = { o2g: 'secondaryEnabled', ctips: 'ctGatewayEnabled' };
    for (const vendor of ['telservices', 'o2g', 'tws', 'instantvoice', 'ctips']) {
      await field('vendor').selectOption(vendor);
      expect(await axeViolations(page), vendor).toEqual([]);
      const toggle = toggles[vendor];
      if (toggle) {
        await field(toggle).check();
        expect(await axeViolations(page), `${vendor} with ${toggle}`).toEqual([]);
        await field(toggle).uncheck();
      }
    }
    await page.getByTestId('modal-close').first().click();
  });

  it('refuses an invalid profile with a message on the field', async () => {
    await page.getByTestId('profiles-open').click();
    await page.getByTestId('profile-new').click();
    await field('name').fill('Second desk');
    await field('id').fill('Bad Id!');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-error-id').waitFor();
    expect(await page.getByTestId('profile-error-id').textContent()).toMatch(/lower-case/);
  });

  it('tests the connection: a wrong port fails clearly, the right one succeeds', async () => {
    await field('id').fill('second-desk');
    await field('device').fill('1104');
    await field('agentId').fill('agent1104');
    await field('host').fill('127.0.0.1');
    await field('port').fill('1');
    await page.getByTestId('profile-test').click();
    const result = page.getByTestId('profile-test-result');
    await page.waitForFunction(() => /unreachable|refused|timeout/i.test(document.querySelector('[data-testid="profile-test-result"]')?.textContent ?? ''));
    await field('port').fill(String(telPort));
    await page.getByTestId('profile-test').click();
    await page.waitForFunction(() => /Connected/.test(document.querySelector('[data-testid="profile-test-result"]')?.textContent ?? ''));
    expect(await result.textContent()).toContain('1104');
  });

  it('saves the profile and switches the desktop to it', async () => {
    await field('udpBind').fill('127.0.0.1');
    await field('password').fill('1234');
    await page.getByTestId('profile-save').click();
    const item = page.locator('[data-testid="profile-item"][data-profile-id="second-desk"]');
    await item.waitFor();
    await item.getByTestId('profile-activate').click();
    await page.waitForFunction(() => /Second desk/.test(document.querySelector('[data-testid="profile-active"]')?.textContent ?? ''));
    await page.getByTestId('modal-close').first().click();
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]');
    // The new device gets its calls.
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '1104' })).status).toBe(201);
    await page.waitForSelector('[data-testid="call-row"][data-state="alerting"]');
    expect(h.desktop.activeProfile()?.device).toBe('1104');
  });

  it('never writes the password to disk', () => {
    const files = readdirSync(h.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(f.parentPath, f.name), 'utf8');
      expect(text).not.toContain('"password"');
    }
  });
});
