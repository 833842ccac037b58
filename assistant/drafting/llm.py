"""The LLM client: any OpenAI-compatible endpoint through the openai SDK (the only module that imports it)."""

from __future__ import annotations

import os
import queue
import random
import re
import threading
import time
import tomllib
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import closing, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import openai

# openai (about 0.5 s to import) is imported by the functions that make or judge a request, so a page or a
# command that only reads the settings never loads it.

Message = dict[str, str]

# Providers' OpenAI-compatible base URLs and a sensible default model for each; the local servers (the text stays
# on this machine or the office's network) come first.
PRESETS: dict[str, tuple[str, str]] = {
    "Ollama（本地）": ("http://127.0.0.1:11434/v1", "qwen2.5:7b"),
    "vLLM（本地）": ("http://127.0.0.1:8000/v1", "Qwen2.5-7B-Instruct"),
    "Xinference（本地）": ("http://127.0.0.1:9997/v1", "qwen2.5-instruct"),
    "LM Studio（本地）": ("http://127.0.0.1:1234/v1", "qwen2.5-7b-instruct"),
    "DeepSeek": ("https://api.deepseek.com/v1", "deepseek-chat"),
    "Qwen（阿里云百炼）": ("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus"),
    "GLM（智谱）": ("https://open.bigmodel.cn/api/paas/v4", "glm-4-flash"),
    "Kimi（月之暗面）": ("https://api.moonshot.cn/v1", "moonshot-v1-8k"),
    "OpenAI": ("https://api.openai.com/v1", "gpt-4o-mini"),
}
LOCAL_PRESETS = frozenset(name for name in PRESETS if name.endswith("（本地）"))
DEFAULT_TIMEOUT = 60.0
SECRETS_PATH = Path(".streamlit/secrets.toml")


class LLMError(Exception):
    """A failure of the endpoint, with a Chinese message for the clerk (never the key)."""


@dataclass(frozen=True)
class LLMSettings:
    """Where to send requests. The key is kept out of repr so it never reaches a log."""

    base_url: str = ""
    api_key: str = field(default="", repr=False)
    model: str = ""
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 3
    source: str = "默认"  # where the settings came from: 环境变量, secrets.toml, 设置页

    @property
    def configured(self) -> bool:
        """True when an endpoint is set: a key, or a local base URL that needs none (Ollama, vLLM)."""
        return bool(self.model and (self.api_key or self.base_url))

    def with_changes(self, **changes: Any) -> LLMSettings:
        """A copy with some fields changed (the settings page)."""
        return replace(self, **changes)


def _read_secrets(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("llm", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return section if isinstance(section, dict) else {}


def load_settings(env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH) -> LLMSettings:
    """Settings from the environment (OPENAI_API_KEY, OPENAI_BASE_URL, ASSISTANT_MODEL, ASSISTANT_LLM_TIMEOUT),
    else from the [llm] section of .streamlit/secrets.toml; the environment wins field by field."""
    env = os.environ if env is None else env
    secrets = _read_secrets(secrets_path)
    names = {"api_key": "OPENAI_API_KEY", "base_url": "OPENAI_BASE_URL", "model": "ASSISTANT_MODEL"}
    values: dict[str, Any] = {}
    source = "默认"
    for name, variable in names.items():
        if env.get(variable):
            values[name] = env[variable].strip()
            source = "环境变量"
        elif secrets.get(name):
            values[name] = str(secrets[name]).strip()
            source = "secrets.toml" if source == "默认" else source
    timeout_text = env.get("ASSISTANT_LLM_TIMEOUT") or str(secrets.get("timeout", ""))
    try:
        values["timeout"] = float(timeout_text) if timeout_text else DEFAULT_TIMEOUT
    except ValueError:
        values["timeout"] = DEFAULT_TIMEOUT
    if values.get("timeout", 0) <= 0:
        values["timeout"] = DEFAULT_TIMEOUT
    if values.get("api_key") and not values.get("model"):
        values["model"] = PRESETS["OpenAI"][1]
    return LLMSettings(source=source, **values)


def with_saved(base: LLMSettings, saved: Mapping[str, str]) -> LLMSettings:
    """The settings saved in 设置 (base URL, model, timeout) over those of the environment and secrets.toml; the
    key always comes from the base. An empty saved model means the clerk chose offline drafting."""
    if not any(name in saved for name in ("base_url", "model", "timeout")):
        return base
    changes: dict[str, Any] = {"source": "设置页（已保存）"}
    if "base_url" in saved:
        changes["base_url"] = saved["base_url"]
    if "model" in saved:
        changes["model"] = saved["model"]
    try:
        timeout = float(saved.get("timeout", ""))
        if timeout > 0:
            changes["timeout"] = timeout
    except ValueError:
        pass
    return base.with_changes(**changes)


class ChatClient(Protocol):
    """What the drafter needs of a model: a name and a stream of text for a list of messages."""

    model: str

    @property
    def timeout(self) -> float:
        """Seconds for one part's drafting, every request for it included."""
        ...

    def stream(
        self, messages: list[Message], max_tokens: int | None = None, within: float | None = None
    ) -> Iterator[str]:
        """Yield the answer's text as it arrives (reasoning already dropped), at most max_tokens of it, within
        `within` seconds when given (what is left of the part's time), else within `timeout`."""
        ...


class ThinkFilter:
    """Drops <think>…</think> blocks from a stream, also when the tags are split across chunks."""

    _OPEN, _CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self._buffer = ""
        self._inside = False

    def feed(self, chunk: str) -> str:
        """The visible part of the text received so far that can be released."""
        self._buffer += chunk
        out: list[str] = []
        while True:
            tag = self._CLOSE if self._inside else self._OPEN
            at = self._buffer.find(tag)
            if at >= 0:
                if not self._inside:
                    out.append(self._buffer[:at])
                self._buffer = self._buffer[at + len(tag) :]
                self._inside = not self._inside
                continue
            # Keep a tail that may be the start of a tag split across chunks.
            keep = next((k for k in range(len(tag) - 1, 0, -1) if self._buffer.endswith(tag[:k])), 0)
            ready, self._buffer = (
                self._buffer[: len(self._buffer) - keep],
                self._buffer[len(self._buffer) - keep :],
            )
            if not self._inside:
                out.append(ready)
            return "".join(out)

    def flush(self) -> str:
        """What is left at the end of the stream."""
        rest, self._buffer = ("" if self._inside else self._buffer), ""
        return rest


_THINK_BLOCK = re.compile(r"<think>.*?(?:</think>|$)", re.S)


def strip_reasoning(text: str) -> str:
    """A complete answer without <think> blocks.

    Some servers (DeepSeek-R1 behind vLLM, QwQ) send the reasoning without the opening tag: a closing
    </think> left over means everything before it was reasoning.
    """
    text = _THINK_BLOCK.sub("", text)
    if "</think>" in text:
        text = text.rpartition("</think>")[2]
    return text.strip()


_CREDENTIALS = re.compile(r"(?<=://).*@|^[^/]*@")


def shown_url(url: str) -> str:
    """A base URL as it may be shown or logged: no user name or password (http://user:KEY@host), no query."""
    bare = url.strip().split("?", 1)[0].split("#", 1)[0]
    return _CREDENTIALS.sub("", bare)[:200]


def url_problem(url: str) -> str:
    """Why a base URL cannot be used, in Chinese; empty when it can (an empty URL means the SDK's default)."""
    if not url.strip():
        return ""
    shown = shown_url(url)
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port is what raises for http://host:abc or http://[::1
    except ValueError:
        return f"接口地址“{shown}”格式不对，无法解析（例如括号不完整或端口不是数字），请在设置中改正"
    if parts.scheme not in ("http", "https"):
        return f"接口地址“{shown}”应以 http:// 或 https:// 开头，请在设置中改正"
    if not parts.hostname or any(ch.isspace() for ch in url.strip()):
        return f"接口地址“{shown}”缺少主机名或含有空格，请在设置中改正"
    return ""


_LOCAL_HOSTS = re.compile(
    r"^(?:localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+"
    r"|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[^.]+|.*\.local|.*\.lan|.*\.internal)$"
)


def endpoint_host(url: str) -> str:
    """The host (and port) a base URL sends to, without credentials: what the audit log keeps."""
    if not url.strip():
        return "api.openai.com"  # the SDK's default
    try:
        parts = urlsplit(shown_url(url))
        host = parts.hostname or ""
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return shown_url(url)[:80]


def is_local(url: str) -> bool:
    """True when the endpoint is this machine or a private network (no text leaves the office)."""
    try:
        host = urlsplit(shown_url(url)).hostname or ""
    except ValueError:
        return False
    return bool(host) and bool(_LOCAL_HOSTS.match(host))


class Stopped(LLMError):
    """The clerk stopped the request; nothing of the answer is used."""


STOPPED = "已停止，原文未改"


class AnswerCut(LLMError):
    """The endpoint stopped the answer at the length limit (max_tokens): what arrived is incomplete."""


def _retry_wait(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before trying again, or None when this failure is not worth another attempt."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        if exc.status_code not in (408, 409, 429) and exc.status_code < 500:
            return None
        for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
            try:
                value = float(exc.response.headers.get(header, "")) / divisor
            except ValueError:
                continue
            if 0 < value <= 60:
                return value
    elif not isinstance(exc, openai.APIConnectionError):
        return None
    backoff: float = min(0.5 * 2.0 ** (attempt - 1), 8.0)
    return backoff * (1 - 0.25 * random.random())


class _Exchange:
    """One model request run in its own thread, retries included, so the caller can stop at the deadline
    whatever the endpoint does (stall, drip a character every second, never finish)."""

    def __init__(
        self, client: openai.OpenAI, settings: LLMSettings, request: dict[str, Any], deadline: float
    ) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.attempts = 0
        self._client, self._settings, self._request, self._deadline = client, settings, request, deadline
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._response: Any = None
        self._thread = threading.Thread(target=self._run, name="llm-request", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def next_event(self, deadline: float) -> tuple[str, Any]:
        """("text", str), ("end", (chunks, finish_reason)), ("error", exception), or ("timeout", None)."""
        left = deadline - time.monotonic()
        if left <= 0:
            return "timeout", None
        try:
            return self.events.get(timeout=left)
        except queue.Empty:
            return "timeout", None

    def cancel(self) -> None:
        """Stop: no further attempt, and the open response is closed so the connection is released."""
        self._cancelled.set()
        with self._lock:
            response, self._response = self._response, None
        if response is not None:
            with suppress(Exception):  # closing from this thread may race the reader; either way it ends
                response.close()

    def _run(self) -> None:
        try:
            self._attempt_until_done()
        except BaseException as exc:  # whatever happens in the SDK is handed to the caller, never lost
            self.events.put(("error", exc))

    def _attempt_until_done(self) -> None:
        import openai

        while not self._cancelled.is_set():
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                return  # the caller reports the deadline
            self.attempts += 1
            try:
                response = self._client.chat.completions.create(
                    **self._request, timeout=openai.Timeout(remaining, connect=min(10.0, remaining))
                )
            except openai.OpenAIError as exc:
                wait = _retry_wait(exc, self.attempts)
                if (
                    wait is None
                    or self.attempts > self._settings.max_retries
                    or time.monotonic() + wait >= self._deadline
                ):
                    self.events.put(("error", exc))
                    return
                if self._cancelled.wait(wait):
                    return
                continue
            with self._lock:
                if self._cancelled.is_set():
                    response.close()
                    return
                self._response = response
            self._relay(response)
            return

    def _relay(self, response: Any) -> None:
        chunks, finish = 0, ""
        for chunk in response:
            if self._cancelled.is_set():
                return
            chunks += 1
            if not chunk.choices:
                continue  # usage-only or keep-alive chunks
            choice = chunk.choices[0]
            finish = finish or (choice.finish_reason or "")
            text = getattr(choice.delta, "content", None) if choice.delta is not None else None
            if text:  # reasoning_content, when a provider sends it, is never read
                self.events.put(("text", text))
        self.events.put(("end", (chunks, finish)))


_POLL = 0.25  # seconds between looks at the stop event while waiting for the endpoint


class OpenAIChat:
    """A ChatClient over the openai SDK: streaming, retries with backoff, reasoning dropped.

    settings.timeout is one deadline for a part's drafting: connecting, every read and every retry; a second request
    for the same part (the number guard's) gets only what the first left (`within`).
    """

    def __init__(self, settings: LLMSettings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.model = settings.model
        self.endpoint = endpoint_host(settings.base_url)
        self.stop = (
            stop  # set from another thread (the 停止 button): the request ends within a quarter second
        )
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()

    def _sdk(self) -> openai.OpenAI:
        """The SDK client, made on first use, so a wrong URL is a message when drafting, not a crash on start."""
        import openai

        problem = url_problem(self.settings.base_url)
        if problem:
            raise LLMError(problem)
        with self._lock:
            if self._client is None:
                try:
                    self._client = openai.OpenAI(
                        base_url=self.settings.base_url or None,
                        api_key=self.settings.api_key or "not-needed",  # local servers accept any key
                        max_retries=0,  # retried here, inside the one deadline
                    )
                except Exception as exc:  # the HTTP library's URL errors differ between SDK versions
                    raise LLMError(
                        f"接口地址“{shown_url(self.settings.base_url)}”无法使用（{type(exc).__name__}），"
                        "请在设置中改正"
                    ) from None
            return self._client

    def _explain(self, exc: BaseException | None, waited: float, attempts: int) -> str:
        """A Chinese sentence for a failure, saying how long it waited and how often it tried; never the key."""
        import openai

        settings = self.settings
        where = shown_url(settings.base_url) or "默认地址"
        tried = f"共尝试 {attempts} 次、等待 {waited:.1f} 秒"
        if exc is None or isinstance(exc, openai.APITimeoutError):
            return (
                f"模型服务在 {settings.timeout:g} 秒内没有响应完毕（{tried}；{where}），已停止等待，"
                "回答没有采用。请稍后重试，或在设置中加大超时"
            )
        if isinstance(exc, openai.AuthenticationError):
            return "模型服务拒绝了 API Key（401），请在设置中检查密钥"
        if isinstance(exc, openai.RateLimitError):
            return f"模型服务繁忙或额度不足（429），{tried}仍未成功，请稍后再试"
        if isinstance(exc, openai.NotFoundError):
            return f"模型服务找不到模型“{settings.model}”或接口地址有误（404），请检查设置"
        if isinstance(exc, openai.APIConnectionError):
            return f"无法连接模型服务（{where}，{tried}），请检查网络或接口地址"
        if isinstance(exc, openai.APIStatusError):
            return f"模型服务出错（HTTP {exc.status_code}），{tried}，请稍后再试"
        if isinstance(exc, openai.APIResponseValidationError | ValueError | KeyError | TypeError):
            return "模型服务返回了无法识别的内容，请检查接口地址是否为 OpenAI 兼容接口"
        if isinstance(exc, OSError | AttributeError):
            return "与模型服务的连接中途断开，回答不完整，请重试"
        return f"模型服务出错：{type(exc).__name__}"

    @property
    def timeout(self) -> float:
        return self.settings.timeout

    def stream(
        self, messages: list[Message], max_tokens: int | None = None, within: float | None = None
    ) -> Generator[str, None, None]:
        """Yield answer text as it streams in, within `within` seconds if given (never beyond settings.timeout);
        raise LLMError with a Chinese message on failure, AnswerCut (after the text) when the endpoint stopped at
        max_tokens. Closing the iterator ends the request."""
        client = self._sdk()
        started = time.monotonic()
        deadline = started + (self.settings.timeout if within is None else min(within, self.settings.timeout))
        request: dict[str, Any] = {
            "model": self.model,
            "messages": cast("list[openai.types.chat.ChatCompletionMessageParam]", messages),
            "stream": True,
            "temperature": 0.3,
        }
        if max_tokens:
            request["max_tokens"] = max_tokens
        exchange = _Exchange(client, self.settings, request, deadline)
        think = ThinkFilter()
        exchange.start()
        try:
            while True:
                if self.stop is not None and self.stop.is_set():
                    raise Stopped(STOPPED)
                polling = self.stop is not None and deadline - time.monotonic() > _POLL
                kind, value = exchange.next_event(time.monotonic() + _POLL if polling else deadline)
                if kind == "timeout" and polling:
                    continue
                if kind == "text":
                    visible = think.feed(value)
                    if visible:
                        yield visible
                    continue
                if kind != "end":
                    waited = time.monotonic() - started
                    raise LLMError(self._explain(value, waited, exchange.attempts))
                chunks, finish = value
                break
        finally:
            exchange.cancel()
        if chunks == 0:
            raise LLMError(self._explain(ValueError("no events"), 0, exchange.attempts))
        if not finish:
            # The SDK ends quietly when the connection drops mid-stream; a half answer must not pass as whole.
            raise LLMError("与模型服务的连接中途断开，回答不完整，请重试")
        rest = think.flush()
        if rest:
            yield rest
        if finish == "length":
            raise AnswerCut(f"模型的回答达到了长度上限（max_tokens {max_tokens or '服务默认'}），没有写完")

    def complete(self, messages: list[Message], max_chars: int = 2000) -> str:
        """The whole answer at once, at most max_chars of it (used by the connection test)."""
        pieces: list[str] = []
        with closing(self.stream(messages)) as answer:
            try:
                for piece in answer:
                    pieces.append(piece)
                    if sum(map(len, pieces)) >= max_chars:
                        break
            except AnswerCut:
                pass  # a cut answer still shows the connection works
        return strip_reasoning("".join(pieces))[:max_chars]


CONNECTION_PROMPT = "请只回复两个字：收到"


def check_connection(settings: LLMSettings) -> str:
    """Ask the endpoint for a one-word answer; returns a Chinese sentence saying what happened."""
    if not settings.configured:
        return "尚未配置模型接口：将使用离线起草"
    quick = settings.with_changes(timeout=min(settings.timeout, 20.0), max_retries=1)
    answer = OpenAIChat(quick).complete([{"role": "user", "content": CONNECTION_PROMPT}])
    return f"连接成功：模型“{settings.model}”回复“{answer[:20]}”"


ClientFactory = Callable[[LLMSettings], ChatClient]
