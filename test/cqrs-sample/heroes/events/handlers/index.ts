import { HeroFoundItemHandler } from './hero-found-item.handler.js';
import { HeroKilledDragonHandler } from './hero-killed-dragon.handler.js';

export const EventHandlers = [HeroKilledDragonHandler, HeroFoundItemHandler];
