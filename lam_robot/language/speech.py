"""Speech in and out: offline recognition with pocketsphinx, speech output with espeak-ng.

Recognition first decodes with a JSGF grammar built from the current scene
(its colours, kinds and object names) and the domain's verbs and relations,
so "put the red block on the blue one" is heard among the things that can
be said about *this* table. The recogniser proposes and the symbolic side
checks: each decode is read by the rule translator and the guardrail
(:func:`meaning_rank`), and one that is not a checked goal is retried (other
padding, then a trigram model generated from the scene); the first checked
goal wins, else a decode that leads to a question, never a refusal when
something better was heard. When the grammar rejects the utterance the engine
falls back to pocketsphinx's general English language model. Every
:class:`Transcript` reports a confidence (mean word posterior) and whether
the grammar was used.

Audio comes from a WAV file, from samples (an audio ROS topic), or from a
microphone when ``sounddevice`` is installed. Other recognisers plug in
behind :class:`SpeechEngine` (see :class:`FasterWhisperEngine`) and are
picked by name from :data:`SPEECH_ENGINES`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import wave
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ..errors import LamError
from ..scene import Scene
from ..symbolic.domain import Domain
from .rules import BLOCK_NOUNS, COLOR_WORDS, REGION_SYNONYMS

#: The sample rate every engine receives, in Hz.
SAMPLE_RATE_HZ = 16000
#: Below this mean word posterior a grammar result is re-checked with the language model.
GRAMMAR_MIN_CONFIDENCE = 0.35
#: Quieter than this RMS (int16 units) counts as silence.
SILENCE_RMS = 30.0
ESPEAK_TIMEOUT_S = 30.0
#: Noise padding around each utterance: length in seconds, level in int16 RMS.
#: (head, tail) padding in seconds, tried in order until the parser accepts the words.
PADDINGS = ((0.0, 0.0), (0.3, 0.5), (0.3, 0.12))
PAD_NOISE_RMS = 1.0


class SpeechUnavailableError(LamError, RuntimeError):
    """A speech engine, voice or audio device is missing."""


class AudioError(LamError, ValueError):
    """Audio that cannot be read (not a WAV, no samples)."""


@dataclass
class Transcript:
    """What was heard.

    Attributes:
        text: the words, lower case ("" when nothing was recognised).
        confidence: 0..1, the mean posterior of the recognised words.
        engine: the engine's registry name.
        used_grammar: True when the scene grammar produced the text, False for the fallback model.
        duration_s: length of the audio in seconds.
        latency_s: recognition wall time in seconds.
        reason: why the text is empty, when it is.
        source: ``grammar`` (the scene JSGF), ``scene_lm`` (a trigram model generated from the
            scene, tried when no grammar decode parses) or ``lm`` (the general English model).
    """

    text: str
    confidence: float
    engine: str
    used_grammar: bool
    duration_s: float = 0.0
    latency_s: float = 0.0
    reason: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        self.source = self.source or ("grammar" if self.used_grammar else ("lm" if self.text else ""))

    def to_dict(self) -> dict:
        return {"text": self.text, "confidence": round(self.confidence, 4), "engine": self.engine,
                "used_grammar": self.used_grammar, "source": self.source, "duration_s": round(self.duration_s, 3),
                "latency_s": round(self.latency_s, 3), "reason": self.reason}


# ---------------------------------------------------------------- audio in


def resample(samples: np.ndarray, rate_hz: int, target_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Resample mono audio (polyphase filter) to ``target_hz``; returns float32."""
    samples = np.asarray(samples, dtype=np.float32)
    if rate_hz == target_hz or samples.size == 0:
        return samples
    from math import gcd

    try:
        from scipy.signal import resample_poly
    except ImportError:  # linear interpolation: cruder (some aliasing) but dependency-free
        times = np.arange(int(samples.size * target_hz / rate_hz)) * (rate_hz / target_hz)
        return np.interp(times, np.arange(samples.size), samples).astype(np.float32)
    g = gcd(int(rate_hz), int(target_hz))
    return resample_poly(samples, target_hz // g, int(rate_hz) // g).astype(np.float32)


def load_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """Read a PCM WAV file as mono float32 samples in int16 units, and its rate.

    Raises:
        AudioError: unreadable or not PCM WAV.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate, frames = (wav.getnchannels(), wav.getsampwidth(),
                                             wav.getframerate(), wav.getnframes())
            raw = wav.readframes(frames)
    except (wave.Error, EOFError, OSError) as exc:
        raise AudioError(f"cannot read {path} as a PCM WAV file: {exc}") from None
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) * 256.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32)
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 65536.0
    else:
        raise AudioError(f"{path}: {8 * width}-bit samples are not supported")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data, rate


def to_pcm16(samples: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Mono int16 at :data:`SAMPLE_RATE_HZ` from float or int samples at ``rate_hz``."""
    data = np.asarray(samples)
    if data.ndim > 1:
        data = data.mean(axis=1)
    if data.dtype.kind == "f" and data.size and np.abs(data).max() <= 1.0:
        data = data * 32767.0
    data = resample(data.astype(np.float32), rate_hz)
    return np.clip(data, -32768, 32767).astype(np.int16)


def write_wav(path: str | Path, samples: np.ndarray, rate_hz: int = SAMPLE_RATE_HZ) -> Path:
    """Write mono int16 samples as a WAV file."""
    path = Path(path)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return path


def record_microphone(duration_s: float = 5.0, rate_hz: int = SAMPLE_RATE_HZ) -> np.ndarray:
    """Record from the default microphone (needs ``sounddevice`` and a device).

    Raises:
        SpeechUnavailableError: no ``sounddevice`` or no input device.
    """
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise SpeechUnavailableError(f"microphone input needs `pip install sounddevice`: {exc}") from None
    try:
        data = sounddevice.rec(int(duration_s * rate_hz), samplerate=rate_hz, channels=1, dtype="int16")
        sounddevice.wait()
    except Exception as exc:  # noqa: BLE001 - PortAudio raises its own types
        raise SpeechUnavailableError(f"cannot record from the microphone: {exc}") from None
    return data.reshape(-1)


# ---------------------------------------------------------------- the scene grammar


def _name_words(name: str) -> list[str]:
    return [p for p in re.split(r"[_\-]", name) if p.isalpha()]


def scene_vocabulary(scene: Scene) -> dict[str, list[str]]:
    """Colours, nouns and name words for the objects in ``scene``."""
    colors = sorted({o.color for o in scene.objects.values() if o.color})
    nouns = {"block", "blocks", "one", "ones", "table"}
    names = set()
    for obj in scene.objects.values():
        if obj.kind:
            nouns |= {obj.kind, obj.kind + ("es" if obj.kind.endswith(("x", "s")) else "s")}
        words = _name_words(obj.name)
        names.add(" ".join(words)) if words else None
        nouns |= {w for w in words if w in REGION_SYNONYMS or w in BLOCK_NOUNS}
    adjectives = {w for obj in scene.objects.values() for w in _name_words(obj.name)
                  if w not in COLOR_WORDS and w not in nouns}
    adjectives |= {"big", "small", "large", "little", "other", "left", "right"}
    return {"colors": colors, "nouns": sorted(nouns), "names": sorted(n for n in names if n),
            "adjectives": sorted(adjectives)}


def make_grammar(scene: Scene, domain: Domain, known_word: Callable[[str], bool] | None = None) -> str:
    """A sentence-structured JSGF grammar of instructions about ``scene`` in ``domain``.

    See :func:`lam_robot.language.grammar_jsgf.build_grammar`: verb phrases, typed destinations
    (regions after "in", blocks or the table after "on"), towers, state phrasings, polite wrappers
    and conjunctions over the scene's colours, kinds and object names.

    Args:
        known_word: keep only alternatives whose words this accepts (the
            recogniser's pronunciation dictionary); default keeps all.
    """
    from .grammar_jsgf import build_grammar

    return build_grammar(scene, domain, known_word)


# ---------------------------------------------------------------- engines


class SpeechEngine(ABC):
    """A recogniser: 16 kHz mono int16 samples + scene -> :class:`Transcript`."""

    name = "engine"

    def transcribe(self, samples: np.ndarray, scene: Scene, domain: Domain) -> Transcript:
        """Check the audio, then recognise it. Never raises for silent or empty audio."""
        start = time.perf_counter()
        samples = np.asarray(samples, dtype=np.int16).reshape(-1)
        duration_s = samples.size / SAMPLE_RATE_HZ
        if samples.size < SAMPLE_RATE_HZ // 10:
            result = Transcript("", 0.0, self.name, False, reason="the audio is empty (under 0.1 s)")
        elif float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) < SILENCE_RMS:
            result = Transcript("", 0.0, self.name, False, reason="the audio is silent")
        else:
            result = self._transcribe(samples, scene, domain)
        result.duration_s = duration_s
        result.latency_s = time.perf_counter() - start
        return result

    @abstractmethod
    def _transcribe(self, samples: np.ndarray, scene: Scene, domain: Domain) -> Transcript:
        """Recognise non-silent 16 kHz int16 audio."""


class PocketSphinxEngine(SpeechEngine):
    """pocketsphinx 5 with the US English acoustic model: scene JSGF first, language model fallback.

    Args:
        use_grammar: decode with :func:`make_grammar` first (default True).
        fallback: decode with the general language model when the grammar rejects the audio.
        min_confidence: a grammar result below this mean posterior is compared with the fallback.
    """

    name = "pocketsphinx"

    def __init__(self, use_grammar: bool = True, fallback: bool = True,
                 min_confidence: float = GRAMMAR_MIN_CONFIDENCE, validate: bool = True,
                 scene_lm: bool = True, **_options):
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise SpeechUnavailableError("speech recognition needs `pip install pocketsphinx`") from None
        self._decoder_cls = Decoder
        self.use_grammar = use_grammar
        self.fallback = fallback
        self.min_confidence = min_confidence
        self.validate = validate
        self.scene_lm = scene_lm
        self._scene_lm_key = None
        self._lm = None
        self._jsgf = None
        self._jsgf_text = None

    def _lm_decoder(self):
        if self._lm is None:
            self._lm = self._decoder_cls(samprate=SAMPLE_RATE_HZ, loglevel="FATAL", bestpath=False)
        return self._lm

    def _grammar_decoder(self, scene: Scene, domain: Domain):
        decoder = self._jsgf or self._decoder_cls(samprate=SAMPLE_RATE_HZ, loglevel="FATAL", bestpath=False)
        self._jsgf = decoder
        text = make_grammar(scene, domain, lambda w: decoder.lookup_word(w) is not None)
        # one named search per grammar: switching back to a scene seen before costs nothing
        searches = self._jsgf_text if isinstance(self._jsgf_text, dict) else {}
        if text not in searches:
            searches[text] = f"scene{len(searches)}"
            decoder.add_jsgf_string(searches[text], text)
        self._jsgf_text = searches
        self._jsgf_search = searches[text]
        decoder.activate_search(self._jsgf_search)
        return decoder

    def _scene_lm_decoder(self, scene: Scene, domain: Domain):
        """The grammar decoder switched to a trigram model generated from the scene (see scene_lm)."""
        import tempfile

        from .scene_lm import arpa_from_sentences, scene_sentences

        decoder = self._grammar_decoder(scene, domain)
        key = make_grammar(scene, domain)
        if key != self._scene_lm_key:
            arpa = arpa_from_sentences(scene_sentences(scene), lambda w: decoder.lookup_word(w) is not None)
            with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False) as handle:
                handle.write(arpa)
            try:
                decoder.add_lm_file("scene_lm", handle.name)
            finally:
                os.unlink(handle.name)
            self._scene_lm_key = key
        decoder.activate_search("scene_lm")
        return decoder

    @staticmethod
    def _decode(decoder, samples: np.ndarray, pad: tuple[float, float] = PADDINGS[0]) -> tuple[str, float]:
        # Low-level noise around the speech gives the live CMN and the search room at both
        # ends (synthetic audio starts and stops abruptly); audio is streamed in 64 ms blocks.
        noise = np.random.default_rng(0).normal(0.0, PAD_NOISE_RMS, int(max(pad) * SAMPLE_RATE_HZ) + 1)
        head, tail = noise[:int(pad[0] * SAMPLE_RATE_HZ)], noise[:int(pad[1] * SAMPLE_RATE_HZ)]
        audio = np.concatenate([head, samples.astype(np.float64), tail]).astype(np.int16)
        decoder.start_utt()
        for i in range(0, audio.size, 1024):
            decoder.process_raw(audio[i:i + 1024].tobytes(), full_utt=False)
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None or not hyp.hypstr.strip():
            return "", 0.0
        words = [s for s in decoder.seg() if not s.word.startswith(("<", "(", "[")) and s.word != "<sil>"]
        probs = [min(1.0, max(0.0, float(s.prob))) for s in words]
        text = re.sub(r"\(\d+\)", "", hyp.hypstr).strip()
        return text, (sum(probs) / len(probs)) if probs else 0.0

    def _transcribe(self, samples: np.ndarray, scene: Scene, domain: Domain) -> Transcript:
        text, conf = "", 0.0
        if self.use_grammar:
            decoder = self._grammar_decoder(scene, domain)
            tries = PADDINGS if self.validate else PADDINGS[:1]
            # the recogniser proposes, the translator and guardrail check: the first decode that
            # becomes a checked goal wins; a question beats a refusal; else the first words heard
            best, best_rank = None, -1
            for pad in tries:
                heard, heard_conf = self._decode(decoder, samples, pad)
                if not text:
                    text, conf = heard, heard_conf
                rank = meaning_rank(heard, scene, domain) if heard and self.validate else -1
                if rank > best_rank:
                    best, best_rank = Transcript(heard, heard_conf, self.name, True), rank
                if rank == MEANING_RANKS["ok"]:
                    break
            if self.validate and self.scene_lm and best_rank < MEANING_RANKS["ok"]:
                heard, heard_conf = self._decode(self._scene_lm_decoder(scene, domain), samples)
                decoder.activate_search(self._jsgf_search)
                rank = meaning_rank(heard, scene, domain) if heard else -1
                if rank > best_rank:
                    best, best_rank = Transcript(heard, heard_conf, self.name, False, source="scene_lm"), rank
            if best is not None and best_rank > MEANING_RANKS["refused"]:
                return best
            if text and conf >= self.min_confidence or text and not self.fallback:
                return Transcript(text, conf, self.name, True)
        if not self.fallback:
            return Transcript("", 0.0, self.name, True, reason="the grammar rejected the utterance")
        lm_text, lm_conf = self._decode(self._lm_decoder(), samples)
        if text and conf >= lm_conf:
            return Transcript(text, conf, self.name, True)
        if not lm_text:
            return Transcript("", 0.0, self.name, False, reason="no words were recognised")
        return Transcript(lm_text, lm_conf, self.name, False)


#: How useful a transcript's meaning is: a checked goal, a question back to the person, a refusal.
MEANING_RANKS = {"refused": 0, "clarify": 1, "ok": 2}


def meaning_rank(text: str, scene: Scene, domain: Domain) -> int:
    """The semantic check on one decode: the rule translator and the guardrail rank what ``text`` means.

    A decode like "get green on the green block" is well-formed for the grammar but means nothing
    checkable (a block on itself), so another decode of the same audio is preferred to it.
    """
    from . import translate

    return MEANING_RANKS.get(translate(text, scene, domain).status, 0)


class FasterWhisperEngine(SpeechEngine):
    """faster-whisper with a local model directory (no downloads); the scene words become the prompt.

    Args:
        model_path: a CTranslate2 Whisper model directory.
    """

    name = "faster-whisper"

    def __init__(self, model_path: str | None = None, device: str = "cpu", compute_type: str = "int8",
                 **_options):
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise SpeechUnavailableError("this engine needs `pip install faster-whisper`") from None
        path = model_path or os.environ.get("LAM_ROBOT_WHISPER_MODEL")
        if not path or not Path(path).exists():
            raise SpeechUnavailableError("faster-whisper needs model_path= a local model directory "
                                         "(or LAM_ROBOT_WHISPER_MODEL)")
        self.model = WhisperModel(path, device=device, compute_type=compute_type, local_files_only=True)

    def _transcribe(self, samples: np.ndarray, scene: Scene, domain: Domain) -> Transcript:
        vocab = scene_vocabulary(scene)
        prompt = "Robot instructions about " + ", ".join(vocab["colors"] + vocab["nouns"] + vocab["names"])
        segments, _ = self.model.transcribe(samples.astype(np.float32) / 32768.0, language="en",
                                            initial_prompt=prompt, beam_size=1)
        segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip().lower()
        conf = float(np.exp(np.mean([s.avg_logprob for s in segments]))) if segments else 0.0
        return Transcript(text, conf, self.name, False, reason=None if text else "no words were recognised")


#: Engine name -> factory taking keyword options.
SPEECH_ENGINES: Mapping[str, Callable[..., SpeechEngine]] = {
    "pocketsphinx": PocketSphinxEngine,
    "faster-whisper": FasterWhisperEngine,
}


def get_engine(name: str = "pocketsphinx", **options) -> SpeechEngine:
    """A speech engine by registry name.

    Raises:
        SpeechUnavailableError: unknown name or the engine cannot run here.
    """
    if name not in SPEECH_ENGINES:
        raise SpeechUnavailableError(f"unknown speech engine {name!r}; choose one of: {', '.join(SPEECH_ENGINES)}")
    return SPEECH_ENGINES[name](**options)


def transcribe(path_or_samples, scene: Scene, domain: Domain, engine: str | SpeechEngine = "pocketsphinx",
               rate_hz: int = SAMPLE_RATE_HZ, **options) -> Transcript:
    """Recognise speech from a WAV path or from samples.

    Args:
        path_or_samples: a WAV file path, or a 1-D array of samples at ``rate_hz``.
        scene: the current scene (its words make the grammar).
        domain: the planning domain.
        engine: a name from :data:`SPEECH_ENGINES` or a ready engine (reuse it across calls).
        rate_hz: sample rate of ``path_or_samples`` when it is an array.

    Raises:
        AudioError: an unreadable file.
        SpeechUnavailableError: the engine is missing.
    """
    if isinstance(path_or_samples, (str, Path)):
        data, rate_hz = load_wav(path_or_samples)
    else:
        data = np.asarray(path_or_samples)
    samples = to_pcm16(data, rate_hz)
    recogniser = engine if isinstance(engine, SpeechEngine) else get_engine(engine, **options)
    return recogniser.transcribe(samples, scene, domain)


# ---------------------------------------------------------------- speech out


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, path: str | Path | None = None, voice: str = "en-us", speed_wpm: int = 160,
          timeout_s: float = ESPEAK_TIMEOUT_S) -> Path | None:
    """Say ``text`` with espeak-ng, or write it to the WAV file ``path``.

    Returns:
        ``path`` when a file was written, else None.

    Raises:
        SpeechUnavailableError: espeak-ng is not installed or failed.
    """
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SpeechUnavailableError("speech output needs espeak-ng (apt-get install espeak-ng)")
    cmd = [exe, "-v", voice, "-s", str(int(speed_wpm))]
    if path is not None:
        cmd += ["-w", str(path)]
    try:
        subprocess.run(cmd + ["--", text or " "], check=True, timeout=timeout_s,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except subprocess.TimeoutExpired:
        raise SpeechUnavailableError(f"espeak-ng did not finish within {timeout_s} s") from None
    except subprocess.CalledProcessError as exc:
        raise SpeechUnavailableError(f"espeak-ng failed: {exc.stderr.decode(errors='replace')[:200]}") from None
    return Path(path) if path is not None else None


def synthesize(text: str, path: str | Path, voice: str = "en-us", speed_wpm: int = 160,
               snr_db: float | None = None, seed: int = 0) -> Path:
    """Test audio: espeak-ng speech at 16 kHz, with white noise at ``snr_db`` when given."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = speak(text, Path(tmp) / "raw.wav", voice, speed_wpm)
        data, rate = load_wav(raw)
    samples = resample(data, rate)
    if snr_db is not None and samples.size:
        power = float(np.mean(samples.astype(np.float64) ** 2)) or 1.0
        noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), samples.size)
        samples = samples + noise
    return write_wav(path, np.clip(samples, -32768, 32767).astype(np.int16))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance divided by the reference length."""
    ref = normalize_words(reference)
    hyp = normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation; ``red_block`` -> ``red block``."""
    return re.sub(r"[^a-z0-9' ]+", " ", (text or "").lower().replace("_", " ")).split()
