/** This package's version, written into exported files as the producer version (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0';

/** The producer name written into exported files. */
export const PRODUCER = '@nabla/interop';
