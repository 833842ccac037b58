"""An in-process fake model for the drafting logic: scripted answers or a function of the messages, every call kept."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assistant.drafting.llm import AnswerCut, LLMError, Message


@dataclass(frozen=True)
class Cut:
    """An answer the endpoint stopped at max_tokens: its text arrives, then AnswerCut, as from OpenAIChat."""

    text: str


# What the model does for one request: answer with a text, fail (LLMError), or stop at the length limit.
Answer = str | LLMError | Cut
Respond = Callable[[list[Message]], Answer]


@dataclass
class Call:
    """One request as the fake received it."""

    messages: list[Message]
    max_tokens: int | None
    within: float | None = None  # the seconds the drafter left this request
    closed_early: bool = False  # the caller closed the stream before the answer was over


@dataclass
class FakeChat:
    """A ChatClient without HTTP, in the manner of pydantic-ai's FunctionModel and llm's MockModel.

    Answers come first from the queue (`enqueue`), then from `respond`, a function of the messages; without
    either the model answers `default`. Each answer streams in pieces of `chunk` characters, so the drafter's
    joining, its length cap and its live display are exercised; `calls` keeps every request.
    """

    respond: Respond | None = None
    model: str = "fake-model"
    timeout: float = 60.0
    chunk: int = 6
    default: str = "收到。"
    calls: list[Call] = field(default_factory=list)
    _queue: deque[Answer] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enqueue(self, *answers: Answer) -> FakeChat:
        """Answer the next requests with these, in order."""
        self._queue.extend(answers)
        return self

    def stream(
        self, messages: list[Message], max_tokens: int | None = None, within: float | None = None
    ) -> Iterator[str]:
        """The ChatClient method: the answer in pieces; LLMError or AnswerCut as the real client raises them."""
        call = Call([dict(m) for m in messages], max_tokens, within)
        # Recorded and chosen under a lock: draft_all asks from several threads at once.
        with self._lock:
            self.calls.append(call)
            queued = self._queue.popleft() if self._queue else None
        answer = queued if queued is not None else self.respond(messages) if self.respond else self.default
        if isinstance(answer, LLMError):
            raise answer
        text = answer.text if isinstance(answer, Cut) else answer
        finished = False
        try:
            for start in range(0, len(text), self.chunk):
                yield text[start : start + self.chunk]
            finished = True
        finally:
            call.closed_early = not finished
        if isinstance(answer, Cut):
            raise AnswerCut(f"模型的回答达到了长度上限（max_tokens {max_tokens or '服务默认'}），没有写完")
