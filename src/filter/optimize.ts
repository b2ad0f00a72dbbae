// Placeholder replaced below.
import type { Block } from './cfg.js';
export function optimize(root: Block): Block {
  return root;
}
