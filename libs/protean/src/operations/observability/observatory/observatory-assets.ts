import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';

/**
 * The page's files, served as they are (no build step), by content type. A Map, not an object
 * literal: a requested name is looked up among these four only, never among inherited keys
 * (`constructor`, `__proto__`, `toString`), which would otherwise reach the file system.
 */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ['observatory.html', 'text/html; charset=utf-8'],
  ['login.html', 'text/html; charset=utf-8'],
  ['observatory.css', 'text/css; charset=utf-8'],
  ['observatory.js', 'text/javascript; charset=utf-8'],
]);

export interface Asset {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The Observatory's static files (`assets/` beside this file; the build copies them into
 * `dist`), read once and kept in memory.
 */
@Injectable()
export class ObservatoryAssets {
  private readonly cache = new Map<string, Asset>();
  private readonly directory = join(import.meta.dirname, 'assets');

  /** The file called `name`, or `undefined` when there is none of that name. */
  get(name: string): Asset | undefined {
    const contentType = ASSETS.get(name);
    if (!contentType) return undefined;
    let asset = this.cache.get(name);
    if (!asset) {
      asset = { contentType, body: readFileSync(join(this.directory, name), 'utf8') };
      this.cache.set(name, asset);
    }
    return asset;
  }

  /** An HTML file with `{{key}}` placeholders filled with HTML-escaped values. */
  page(name: string, values: Readonly<Record<string, string>>): string {
    const asset = this.get(name);
    if (!asset) throw new Error(`No Observatory asset ${name}`);
    return asset.body.replace(/\{\{(\w+)\}\}/g, (_, key: string) => escapeHtml(values[key] ?? ''));
  }
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
