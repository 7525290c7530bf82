import { CommandHandler, EventsHandler, Saga } from '@nestjs/cqrs';
import { of } from 'rxjs';
import { CQRS_COMMAND_HANDLER, CQRS_EVENTS_HANDLER, CQRS_SAGA } from './cqrs-metadata-keys.js';

class Attack {}
class Attacked {}
class Fled {}

@CommandHandler(Attack)
class AttackHandler {
  execute() {}
}

@EventsHandler(Attacked, Fled)
class AttackedHandler {
  handle() {}
}

class Sagas {
  @Saga() first = () => of();
  @Saga() second = () => of();
}

describe('the metadata keys @nestjs/cqrs decorators write (read by the bridge)', () => {
  it('are the ones its decorators write, with what the bridge expects under them', () => {
    expect(Reflect.getMetadata(CQRS_COMMAND_HANDLER, AttackHandler)).toBe(Attack);
    expect(Reflect.getMetadata(CQRS_EVENTS_HANDLER, AttackedHandler)).toEqual([Attacked, Fled]);
    expect(Reflect.getMetadata(CQRS_SAGA, Sagas)).toEqual(['first', 'second']);
  });
});
