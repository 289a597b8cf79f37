import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pino from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { ContentError } from './content/read.js';
import { changedFiles } from './editing/files.js';
import type { Preview } from './routes/editor-edit.js';
import { loadSite } from './site.js';

/**
 * Previews that cannot drift from what readers get: the content is copied aside with the changes
 * written into its files, loaded and checked as the server loads it, and the page is asked of an
 * app made as the build makes the release's (the same routes, view models and templates, the
 * readers' forms included), over the loopback, once; nothing is cached or kept. One preview at a
 * time, four waiting; past that a preview is refused at once (a burst never takes the cores).
 */
export function previewer(deps: { config: Config; root: string; contentDir: string }): Preview {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (changes, path) => {
    if (running >= 1) {
      if (waiting.length >= 4) return { busy: true };
      await new Promise<void>((go) => waiting.push(go));
    }
    running += 1;
    const scratch = mkdtempSync(join(tmpdir(), 'dalil-preview-'));
    try {
      const copy = join(scratch, 'content');
      cpSync(deps.contentDir, copy, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes('.git') });
      for (const [file, source] of changedFiles(deps.contentDir, changes)) writeFileSync(join(copy, relative(deps.contentDir, file)), source);
      let site;
      try {
        site = await loadSite(deps.root, copy);
      } catch (error) {
        if (error instanceof ContentError) return { issues: error.issues };
        throw error;
      }
      const app = createApp({ config: deps.config, site, logger: pino({ level: 'silent' }), edition: 'server' });
      const server = createServer(app).listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { redirect: 'manual' });
        return { status: res.status, html: await res.text() };
      } finally {
        server.closeAllConnections();
        server.close();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      running -= 1;
      waiting.shift()?.();
    }
  };
}
