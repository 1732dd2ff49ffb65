/** Serve `root` (default build/) on 127.0.0.1:`port` (0: any free port) with COOP/COEP headers. */
export function startServer(options?: { root?: string; port?: number }): Promise<{ url: string; close(): Promise<void> }>;
