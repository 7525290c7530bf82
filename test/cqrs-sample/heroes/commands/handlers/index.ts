import { DropAncientItemHandler } from './drop-ancient-item.handler.js';
import { KillDragonHandler } from './kill-dragon.handler.js';

export const CommandHandlers = [KillDragonHandler, DropAncientItemHandler];
