// Types of what test/shared-kernel.test.ts imports from the build script.
export declare const MAX_PAGES: number;
export declare function kernelWat(fma: boolean, shared?: boolean): string;
export declare function assemble(wabt: unknown, name: string, src: string, relaxed: boolean): Promise<string>;
