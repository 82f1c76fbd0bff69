/** Contract of BlobStore (filesystem now, S3 later). */
import { readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/storage/ports.js';

export function runBlobStoreContract(create: () => Promise<BlobStore>): void {
  describe('BlobStore contract', () => {
    it('puts, reads, sizes and deletes', async () => {
      const blobs = await create();
      await blobs.put('u/a/b.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
      expect(await text(await blobs.get('u/a/b.txt'))).toBe('hello world');
      expect(await blobs.size('u/a/b.txt')).toBe(11);
      expect(await readFile(await blobs.localPath('u/a/b.txt'), 'utf8')).toBe('hello world');
      await blobs.delete('u/a/b.txt');
      expect(await blobs.size('u/a/b.txt')).toBeNull();
      await expect(blobs.get('u/a/b.txt')).rejects.toThrow();
    });

    it('moves a finished file in with putFile', async () => {
      const blobs = await create();
      const tmp = await blobs.tempPath('x.csv');
      await writeFile(tmp, 'a,b\n1,2\n');
      await blobs.putFile('p/learn.csv', tmp);
      expect(await text(await blobs.get('p/learn.csv'))).toBe('a,b\n1,2\n');
    });

    it('leaves nothing behind when the source stream fails', async () => {
      const blobs = await create();
      const failing = new Readable({
        read() {
          this.push(Buffer.from('partial'));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(blobs.put('k/broken.bin', failing)).rejects.toThrow('client went away');
      expect(await blobs.size('k/broken.bin')).toBeNull();
    });

    it('refuses keys that escape the store', async () => {
      const blobs = await create();
      await expect(blobs.put('../escape', Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
    });
  });
}
