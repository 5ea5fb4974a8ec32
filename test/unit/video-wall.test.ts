import { describe, expect, it } from 'vitest';
import { streamSource, videoWall, wallColumns, type DispatchCamera } from '../../client/dispatch/stream-source';

function createCamera(id: number, streamUrl: string | null, status?: string): DispatchCamera {
  return { id, code: `CAM-${id}`, name: `摄像机 ${id}`, streamUrl, ...(status === undefined ? {} : { status }) };
}

describe('video dispatch: which streams a browser can play', () => {
  it.each([
    ['http://10.20.0.5:8088/live/cam12/index.m3u8', 'http://10.20.0.5:8088/live/cam12/index.m3u8'],
    ['https://video.gov.local/hls/12.M3U8?token=abc', 'https://video.gov.local/hls/12.M3U8?token=abc'],
  ])('when the URL is HLS over http(s) (%s), then it is played', (url, expected) => {
    expect(streamSource(url)).toEqual({ kind: 'hls', url: expected });
  });

  it.each([
    [null, 'missing'],
    ['', 'missing'],
    ['rtsp://10.20.0.9:554/Streaming/Channels/101', 'rtsp'],
    ['rtsps://10.20.0.9:322/live', 'rtsp'],
    ['http://10.20.0.5:8088/live/cam12.flv', 'notHls'],
    ['http://10.20.0.5:8088/live/cam12.m3u8.bak', 'notHls'],
    ['ftp://10.20.0.5/cam12.m3u8', 'notHls'],
    ['not a url', 'notHls'],
  ])('when the URL is %s, then the camera is unplayable because %s', (url, reason) => {
    expect(streamSource(url)).toEqual({ kind: 'unplayable', reason });
  });

  it('when more cameras can play than there are tiles, then the first working ones get tiles and the rest are spare', () => {
    const hls = (id: number) => `http://gw.local/${id}.m3u8`;
    const cameras = [
      createCamera(1, hls(1), 'offline'),
      createCamera(2, 'rtsp://gw.local/2'),
      createCamera(3, hls(3), 'online'),
      createCamera(4, null),
      createCamera(5, hls(5)),
      createCamera(6, hls(6), 'fault'),
    ];
    const wall = videoWall(cameras, 2);
    expect(wall.tiles.map(({ camera, url }) => [camera.id, url])).toEqual([[3, hls(3)], [5, hls(5)]]);
    expect(wall.spare.map((c) => c.id)).toEqual([1, 6]);
    expect(wall.unplayable.map(({ camera, reason }) => [camera.id, reason])).toEqual([[2, 'rtsp'], [4, 'missing']]);
  });

  it('when only offline cameras can play, then they still get tiles: their status may be stale', () => {
    const wall = videoWall([createCamera(1, 'http://gw.local/1.m3u8', 'offline')], 4);
    expect(wall.tiles.map(({ camera }) => camera.id)).toEqual([1]);
  });

  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 2],
    [5, 3],
    [9, 3],
  ])('when %i tiles are shown, then the wall has %i columns', (tiles, columns) => {
    expect(wallColumns(tiles)).toBe(columns);
  });
});
