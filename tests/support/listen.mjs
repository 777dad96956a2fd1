// Shared lifecycle for the local HTTP servers: bind on loopback, close without waiting for
// idle keep-alive connections.

/** Listens on 127.0.0.1 (`port: 0` picks a free port); resolves the bound port. */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/** A `close()` for `server` that also drops open keep-alive connections. */
export function closer(server) {
  return () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
