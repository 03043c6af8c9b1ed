// The people the browser tests act as; states saved by the setup project.
export const ADMIN = { username: "e2e-admin", password: "e2e-admin-password-1" };
export const VIEWER = { username: "e2e-viewer", password: "e2e-viewer-password-1" };
export const ADMIN_STATE = "test-results/.auth/admin.json";
export const VIEWER_STATE = "test-results/.auth/viewer.json";

/** Every page route of the console, for the "signed out → sign-in" and accessibility sweeps. */
export const PAGE_ROUTES = ["/", "/environments", "/runs", "/audit", "/users"];
