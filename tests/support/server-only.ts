// Stands in for the `server-only` package in tests: importing it must not throw outside React.
export {};
