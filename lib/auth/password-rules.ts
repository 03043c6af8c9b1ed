// Password and username rules shared by forms (client) and the server.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_USERNAME_LENGTH = 32;
