# The chapter's shortcuts. PostgreSQL and Redis from docker-compose.yml:
#   make up     start them in the background (docker compose up -d)
#   make down   stop them (docker compose down; the data volumes are kept)
#   make start  the bookshelf API with the engine in one process (npm start)
#   make test   the test suite (npm test)
.PHONY: up down start test

up:
	docker compose up -d

down:
	docker compose down

start:
	npm start

test:
	npm test
