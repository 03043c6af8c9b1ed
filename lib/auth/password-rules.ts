// Password rules shared by forms (client) and the server.
export const MIN_PASSWORD_LENGTH = 12;
