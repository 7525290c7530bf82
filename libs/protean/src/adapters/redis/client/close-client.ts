import type { Cluster, Redis } from 'ioredis';

/**
 * Closes a client politely (QUIT lets replies in flight arrive) when it is connected, and at
 * once otherwise: QUIT on a never-connected client would connect just to say goodbye, and on
 * a reconnecting one would wait for a server that may not come back.
 */
export async function closeClient(client: Redis | Cluster): Promise<void> {
  // Disconnecting an ended client would arm a timer for a socket that is already gone.
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
