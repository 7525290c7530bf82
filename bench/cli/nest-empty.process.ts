import module from 'node:module';

// The peer of the CLI benchmark: Node starting Nest with nothing in it — an empty module's
// application context, created and closed. It enables the compile cache as the `protean` bin
// does, so the comparison is like for like.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

@Module({})
class EmptyModule {}

const app = await NestFactory.createApplicationContext(EmptyModule, { logger: false });
await app.close();
