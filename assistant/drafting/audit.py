"""What is kept of every request to a model (the audit log): who got which text, how much, how it ended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Outcome = Literal["ok", "error", "stopped", "refused"]
OUTCOME_WORDS: dict[str, str] = {"ok": "完成", "error": "出错", "stopped": "已停止", "refused": "密级拦截"}
FIELDS = (
    "时间",
    "来源",
    "接口主机",
    "模型",
    "报告",
    "部分",
    "发送字数",
    "接收字数",
    "用时（秒）",
    "结果",
    "说明",
)


@dataclass(frozen=True)
class AuditRecord:
    """One request to a model, or one the 密级 guard refused. Never the key, never the text itself."""

    host: str  # the endpoint's host and port, credentials stripped (llm.endpoint_host)
    model: str
    report: str  # agency and year
    part: str  # the part's heading
    sent: int  # characters sent
    received: int = 0  # characters received
    seconds: float = 0.0
    outcome: Outcome = "ok"
    detail: str = ""  # the error message, or the guard's marks
    origin: str = ""  # 网页, draft, eval
    time: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    def row(self) -> list[str]:
        """The record as the columns of FIELDS."""
        return [
            self.time,
            self.origin,
            self.host,
            self.model,
            self.report,
            self.part,
            str(self.sent),
            str(self.received),
            f"{self.seconds:.1f}",
            OUTCOME_WORDS.get(self.outcome, self.outcome),
            self.detail,
        ]


Recorder = Callable[[AuditRecord], None]
