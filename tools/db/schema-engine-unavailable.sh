#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` only checks that this file exists. Anything that really needs the engine
# (prisma migrate/db commands) must fail loudly: a stub exiting 0 makes `migrate deploy`
# report success while applying nothing.
# The Prisma CLI skips the first stderr line and shows the `message` of the JSON log lines after it.
message='The native Prisma schema engine is not installed here. Use tools/db/cli.ts instead: npm run db:deploy, npm run db:migrate -- --name <name>, npm run db:status.'
echo "$message" >&2
echo "{\"level\":\"ERROR\",\"fields\":{\"message\":\"$message\"}}" >&2
exit 1
