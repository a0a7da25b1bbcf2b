import type { Server } from 'node:http';

export interface ServeOptions {
  /** the folder served; default the repository root */
  root?: string;
  /** top-level folders of root that are served; default ['demo', 'dist'] */
  folders?: string[];
  /** default '127.0.0.1' */
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  /** when the port is taken, use a free one instead of failing; default true */
  fallback?: boolean;
  /** send ISOLATION_HEADERS with every response (npm run demo does); default false */
  isolated?: boolean;
}

/** Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp. */
export const ISOLATION_HEADERS: Record<string, string>;

export interface RunningServer {
  server: Server;
  /** 'http://localhost:PORT/' (or the host given) */
  url: string;
  close(): Promise<void>;
}

/** Starts the static file server used by `npm run demo` and the browser tests. */
export function startServer(options?: ServeOptions): Promise<RunningServer>;
