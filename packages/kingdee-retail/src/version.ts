declare const __PACKAGE_VERSION__: string | undefined;

/** This package's version, written in at build time (`0.0.0-source` when run from source, as in its tests). */
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-source';

/** The `User-Agent` the client sends: a product token with the version, and the npm package name as a comment. */
export const USER_AGENT = `refundkit-kingdee-retail/${VERSION} (@refundkit/kingdee-retail)`;
