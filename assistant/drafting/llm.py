"""The LLM client: any OpenAI-compatible endpoint through the openai SDK (the only module that imports it)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

Message = dict[str, str]

# Providers' OpenAI-compatible base URLs and a sensible default model for each.
PRESETS: dict[str, tuple[str, str]] = {
    "OpenAI": ("https://api.openai.com/v1", "gpt-4o-mini"),
    "DeepSeek": ("https://api.deepseek.com/v1", "deepseek-chat"),
    "Qwen（阿里云百炼）": ("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus"),
    "GLM（智谱）": ("https://open.bigmodel.cn/api/paas/v4", "glm-4-flash"),
    "Kimi（月之暗面）": ("https://api.moonshot.cn/v1", "moonshot-v1-8k"),
    "Ollama（本机）": ("http://127.0.0.1:11434/v1", "qwen2.5:7b"),
    "vLLM（本机）": ("http://127.0.0.1:8000/v1", "Qwen2.5-7B-Instruct"),
}
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


class ChatClient(Protocol):
    """What the drafter needs of a model: a name and a stream of text for a list of messages."""

    model: str

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield the answer's text as it arrives (reasoning already dropped)."""
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


def _explain(exc: Exception, settings: LLMSettings) -> str:
    """A Chinese sentence for an SDK error; the key never appears in it."""
    where = settings.base_url or "默认地址"
    if isinstance(exc, openai.APITimeoutError):
        return f"模型服务在 {settings.timeout:g} 秒内没有响应（{where}），请稍后重试或在设置中加大超时"
    if isinstance(exc, openai.AuthenticationError):
        return "模型服务拒绝了 API Key（401），请在设置中检查密钥"
    if isinstance(exc, openai.RateLimitError):
        return f"模型服务繁忙或额度不足（429），已自动重试 {settings.max_retries} 次仍未成功，请稍后再试"
    if isinstance(exc, openai.NotFoundError):
        return f"模型服务找不到模型“{settings.model}”或接口地址有误（404），请检查设置"
    if isinstance(exc, openai.APIConnectionError):
        return f"无法连接模型服务（{where}），请检查网络或接口地址"
    if isinstance(exc, openai.APIStatusError):
        return f"模型服务出错（HTTP {exc.status_code}），已重试 {settings.max_retries} 次，请稍后再试"
    if isinstance(exc, openai.APIResponseValidationError | ValueError | KeyError | TypeError):
        return "模型服务返回了无法识别的内容，请检查接口地址是否为 OpenAI 兼容接口"
    return f"模型服务出错：{type(exc).__name__}"


class OpenAIChat:
    """A ChatClient over the openai SDK: streaming, retries with backoff (SDK), reasoning dropped."""

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.model = settings.model
        self._client = openai.OpenAI(
            base_url=settings.base_url or None,
            api_key=settings.api_key or "not-needed",  # local servers accept any key
            timeout=openai.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
            max_retries=settings.max_retries,
        )

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield answer text as it streams in; raise LLMError with a Chinese message on failure."""
        think = ThinkFilter()
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=cast(list[ChatCompletionMessageParam], messages),
                stream=True,
                temperature=0.3,
            )
            chunks = 0
            finished = False
            for chunk in response:
                chunks += 1
                if not chunk.choices:
                    continue  # usage-only or keep-alive chunks
                finished = finished or bool(chunk.choices[0].finish_reason)
                delta = chunk.choices[0].delta
                text = getattr(delta, "content", None) if delta is not None else None
                if text:  # reasoning_content, when a provider sends it, is never read
                    visible = think.feed(text)
                    if visible:
                        yield visible
        except openai.OpenAIError as exc:
            raise LLMError(_explain(exc, self.settings)) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # A stream cut off or a body that is no JSON surfaces as one of these, depending on the SDK version.
            raise LLMError(_explain(exc, self.settings)) from None
        if chunks == 0:
            raise LLMError(_explain(ValueError("no events"), self.settings))
        if not finished:
            # The SDK ends quietly when the connection drops mid-stream; a half answer must not pass as whole.
            raise LLMError("与模型服务的连接中途断开，回答不完整，请重试")
        rest = think.flush()
        if rest:
            yield rest

    def complete(self, messages: list[Message]) -> str:
        """The whole answer at once (used by the connection test)."""
        return strip_reasoning("".join(self.stream(messages)))


def check_connection(settings: LLMSettings) -> str:
    """Ask the endpoint for a one-word answer; returns a Chinese sentence saying what happened."""
    if not settings.configured:
        return "尚未配置模型接口：将使用离线起草"
    quick = settings.with_changes(timeout=min(settings.timeout, 20.0), max_retries=1)
    answer = OpenAIChat(quick).complete([{"role": "user", "content": "请只回复两个字：收到"}])
    return f"连接成功：模型“{settings.model}”回复“{answer[:20]}”"


ClientFactory = Callable[[LLMSettings], ChatClient]
