import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { ContentError } from './content/read.js';
import { contentCopy, publishFiles } from './editing/files.js';
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
  return async (changes, path, meta) => {
    if (running >= 1) {
      if (waiting.length >= 4) return { busy: true };
      await new Promise<void>((go) => waiting.push(go));
    }
    running += 1;
    let copied: ReturnType<typeof contentCopy> | undefined;
    try {
      copied = contentCopy(deps.contentDir, deps.root, publishFiles(deps.contentDir, changes, meta));
      let site;
      try {
        site = await loadSite(deps.root, copied.copy);
      } catch (error) {
        if (error instanceof ContentError) return { issues: copied.named(error.issues, deps.root) };
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
      copied?.remove();
      running -= 1;
      waiting.shift()?.();
    }
  };
}
