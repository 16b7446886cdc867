-- CreateIndex
CREATE INDEX "SupervisionCase_openedAt_idx" ON "SupervisionCase"("openedAt");

-- CreateIndex
CREATE INDEX "Appeal_filedAt_idx" ON "Appeal"("filedAt");

