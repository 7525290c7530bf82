import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';

/** The page's files: served as they are, no build step. */
const ASSETS: Readonly<Record<string, string>> = {
  'observatory.html': 'text/html; charset=utf-8',
  'login.html': 'text/html; charset=utf-8',
  'observatory.css': 'text/css; charset=utf-8',
  'observatory.js': 'text/javascript; charset=utf-8',
};

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
    const contentType = ASSETS[name];
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
