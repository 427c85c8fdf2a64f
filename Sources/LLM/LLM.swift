// The OpenAI-compatible LLM adapter lives in this module.
