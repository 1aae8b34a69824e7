import type { FuseV1Config } from '@electron/fuses'

/** The parts of electron-builder's AfterPackContext the hook reads. */
export interface PackContext {
  appOutDir: string
  electronPlatformName: string
  arch: number
  packager: { executableName: string; appInfo: { productFilename: string } }
}

export const FUSES: Omit<FuseV1Config, 'version'>
export function fuseConfig(context: PackContext): FuseV1Config
export function electronBinaryPath(context: PackContext): string
export function afterPack(context: PackContext): Promise<void>
