"""Make the example showcase's film and recording: synthetic narration (espeak-ng) over artworks (ffmpeg).

Run once by a maintainer: `python scripts/make_example_media.py`. The outputs are committed in
content/media/ (each under 500 KB); building the site does not need ffmpeg or espeak-ng.
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "content" / "media"
GAP = 0.6  # seconds of quiet between sentences

FILM = [
    "This is the clay studio on a Tuesday morning.",
    "Nobody here is a patient, and nobody is staff. We are people with our hands in the clay.",
    "Some of us came with a diagnosis. Some came as carers, and some came to teach.",
    "By the end of the term, it was hard to say who was helping whom.",
]
RECORDING = [
    "I joined the choir the winter after my son went into hospital.",
    "I did not sing for the first three weeks. I just stood at the back and listened.",
    "Then someone passed me a sheet of music and said, we need another alto.",
    "That was the first time in months that anyone had needed me for something other than coping.",
]


def speak(sentences: list[str], folder: Path) -> tuple[Path, list[tuple[float, float, str]]]:
    """One WAV of all sentences with gaps, and the (start, end, text) of each for the captions."""
    parts, cues, clock = [], [], 0.0
    for index, sentence in enumerate(sentences):
        path = folder / f"s{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "150", "-w", str(path), sentence], check=True)
        with wave.open(str(path)) as w:
            length = w.getnframes() / w.getframerate()
        cues.append((clock, clock + length, sentence))
        clock += length + GAP
        parts.append(path)
    listing = folder / "list.txt"
    listing.write_text("".join(f"file '{p}'\nfile '{folder / 'gap.wav'}'\n" for p in parts))
    with wave.open(str(parts[0])) as w:
        rate = w.getframerate()
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"anullsrc=r={rate}:cl=mono",
                    "-t", str(GAP), "-c:a", "pcm_s16le", str(folder / "gap.wav")], check=True)
    out = folder / "all.wav"
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-c", "copy", str(out)], check=True)
    return out, cues


def vtt(cues: list[tuple[float, float, str]]) -> str:
    def stamp(t: float) -> str:
        return f"{int(t // 3600):02}:{int(t % 3600 // 60):02}:{t % 60:06.3f}"
    return "WEBVTT\n\n" + "\n".join(f"{n}\n{stamp(a)} --> {stamp(b)}\n{text}\n" for n, (a, b, text) in enumerate(cues, 1))


def main() -> None:
    MEDIA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audio, cues = speak(FILM, folder)
        (MEDIA / "clay-studio-film.vtt").write_text(vtt(cues))
        art = ROOT / "content" / "artworks" / "vessel-in-ochre.jpg"
        subprocess.run([
            "ffmpeg", "-y", "-loglevel", "error", "-loop", "1", "-i", str(art), "-i", str(audio),
            "-vf", "scale=960:-2,zoompan=z='min(zoom+0.0006,1.15)':d=1:s=480x270:fps=12,format=yuv420p",
            "-shortest", "-c:v", "libvpx-vp9", "-b:v", "90k", "-row-mt", "1", "-deadline", "good",
            "-c:a", "libopus", "-b:a", "24k", "-fflags", "+bitexact", "-map_metadata", "-1",
            str(MEDIA / "clay-studio-film.webm")], check=True)
        folder2 = folder / "rec"
        folder2.mkdir()
        audio, cues = speak(RECORDING, folder2)
        (MEDIA / "joining-the-altos.vtt").write_text(vtt(cues))
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(audio), "-c:a", "libopus", "-b:a", "24k",
                        "-fflags", "+bitexact", "-map_metadata", "-1", str(MEDIA / "joining-the-altos.ogg")], check=True)
    for path in sorted(MEDIA.iterdir()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
