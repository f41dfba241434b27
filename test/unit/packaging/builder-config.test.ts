/** electron-builder.yml (issue 12): the shipped app's identity, fuses, entitlements, schemes and packages. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
// js-yaml is electron-builder's own YAML reader (a dependency of app-builder-lib)
const yaml = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'))('js-yaml') as { load(s: string): unknown };
type Config = Record<string, Record<string, unknown> & unknown[]>;
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { author?: { name: string; email: string } };

describe('electron-builder.yml', () => {
  it('has a real reverse-DNS appId and package.json has an author', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(String(config.appId)).not.toMatch(/example|test\./);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/@/);
  });

  it('flips the Electron fuses through electronFuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('macOS: hardened runtime, entitlements with audio input and JIT, microphone usage string', () => {
    const mac = config.mac as Record<string, unknown>;
    expect(mac.hardenedRuntime).toBe(true);
    const plist = readFileSync(join(root, String(mac.entitlements)), 'utf8');
    for (const key of ['com.apple.security.device.audio-input', 'com.apple.security.cs.allow-jit']) {
      expect(plist).toMatch(new RegExp(`<key>${key.replaceAll('.', '\\.')}</key>\\s*<true/>`));
    }
    expect((mac.extendInfo as Record<string, string>).NSMicrophoneUsageDescription).toMatch(/microphone/);
    expect(mac.notarize).not.toBe(false); // electron-builder notarizes when APPLE_* env credentials are present
  });

  it('sip, sips, im, tel on every OS; Windows per-user NSIS registers them', () => {
    const schemes = (config.protocols as unknown as { schemes: string[] }[]).flatMap((p) => p.schemes).sort();
    expect(schemes).toEqual(['im', 'sip', 'sips', 'tel']);
    const linux = config.linux as Record<string, unknown>;
    expect([...(linux.mimeTypes as string[])].sort()).toEqual(schemes.map((s) => `x-scheme-handler/${s}`));
    const nsis = config.nsis as Record<string, unknown>;
    expect(nsis.oneClick).toBe(false);
    expect(nsis.perMachine).toBe(false);
    const include = readFileSync(join(root, String(nsis.include)), 'utf8');
    for (const s of schemes) {
      expect(include).toContain(`registerScheme "${s}"`);
      expect(include).toContain(`DeleteRegKey SHCTX "Software\\Classes\\${s}"`);
    }
    expect(include).toContain('"URL Protocol"');
  });

  it('Linux: AppImage and deb; deb depends = electron-builder defaults plus libsecret-1-0', () => {
    const fpm = readFileSync(join(root, 'node_modules', 'app-builder-lib', 'out', 'targets', 'FpmTarget.js'), 'utf8');
    const defaults = /return (\["libgtk-3-0"[^\]]*\])/.exec(fpm)?.[1];
    expect(defaults).toBeTruthy();
    const depends = (config.deb as Record<string, string[]>).depends;
    for (const d of JSON.parse(defaults!) as string[]) expect(depends).toContain(d);
    expect(depends).toContain('libsecret-1-0');
    expect((config.linux as Record<string, string[]>).target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('artifact names have no spaces; one icon source for every platform', () => {
    expect(String(config.artifactName)).not.toMatch(/\s|\$\{productName\}/);
    const icon = readFileSync(join(root, String(config.icon)));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // electron-builder needs ≥512 px to make .icns/.ico
    for (const os of ['mac', 'win', 'linux']) expect((config[os] as Record<string, unknown>).icon).toBeUndefined();
  });
});
