export function electronPackageDir(): string
export function electronBinary(): string | null
