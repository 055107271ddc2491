from argolint.cli.main import run

run()
