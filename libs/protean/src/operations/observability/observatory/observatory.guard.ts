import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ObservatoryAuth, type RequestHeaders } from './observatory-auth.js';

/** 401 for an Observatory API request without the token (when one is configured). */
@Injectable()
export class ObservatoryGuard implements CanActivate {
  constructor(private readonly auth: ObservatoryAuth) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.auth.allows(context.switchToHttp().getRequest<RequestHeaders>())) return true;
    throw new UnauthorizedException(
      'The Observatory needs its token: Authorization: Bearer <token>, or open /observatory?token=<token>',
    );
  }
}
