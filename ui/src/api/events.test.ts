import { keepNewest, parseFrames } from "./events";

describe("parseFrames", () => {
  it("reads complete frames and keeps an incomplete one for the next chunk", () => {
    const { frames, rest } = parseFrames('id: 7\nevent: modelyard.job.completed\ndata: {"a":1}\n\n: keep-alive\n\nid: 8\ndata: {"b"');
    expect(frames).toEqual([{ id: "7", event: "modelyard.job.completed", data: '{"a":1}' }]);
    expect(rest).toBe('id: 8\ndata: {"b"');
    const next = parseFrames(rest + ':2}\n\n');
    expect(next.frames).toEqual([{ id: "8", event: null, data: '{"b":2}' }]);
    expect(next.rest).toBe("");
  });

  it("joins multi-line data, accepts CRLF and skips comment-only frames", () => {
    expect(parseFrames("data: a\r\ndata: b\r\n\r\n: ping\n\n").frames).toEqual([{ id: null, event: null, data: "a\nb" }]);
  });
});

describe("keepNewest", () => {
  it("puts newcomers first, newest first, and never keeps more than the bound", () => {
    let buffer: number[] = [];
    for (let i = 0; i < 1000; i += 3) buffer = keepNewest(buffer, [i, i + 1, i + 2], 50);
    expect(buffer).toHaveLength(50);
    expect(buffer[0]).toBe(1001);
    expect(buffer[49]).toBe(952);
    expect(buffer).toEqual([...buffer].sort((a, b) => b - a));
  });
});
