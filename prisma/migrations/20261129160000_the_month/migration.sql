-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "owesMonthlyReports" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Appeal" (
    "id" BIGSERIAL NOT NULL,
    "ticketNo" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "packageMonth" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "filedBy" TEXT NOT NULL,
    "filedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'filed',
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNote" TEXT,

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppealPackage" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "signedBy" TEXT,
    "signedAt" TIMESTAMPTZ(3),
    "sealRef" TEXT,
    "sealedAt" TIMESTAMPTZ(3),
    "submittedAt" TIMESTAMPTZ(3),
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'open',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AppealPackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeEntry" (
    "id" BIGSERIAL NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "maintainer" TEXT NOT NULL,
    "policyTitle" TEXT,
    "policyReleaseAt" TIMESTAMPTZ(3),
    "lateForRelease" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KnowledgeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeEntryVersion" (
    "id" BIGSERIAL NOT NULL,
    "entryId" BIGINT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "maintainer" TEXT NOT NULL,
    "editedBy" TEXT NOT NULL,
    "editedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnowledgeEntryVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintainerChange" (
    "id" BIGSERIAL NOT NULL,
    "unitId" TEXT NOT NULL,
    "entryId" BIGINT,
    "fromUser" TEXT NOT NULL,
    "toUser" TEXT NOT NULL,
    "changedBy" TEXT NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaintainerChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyFiling" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "filedAt" TIMESTAMPTZ(3),
    "filedBy" TEXT,
    "nothingNew" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "MonthlyFiling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SealedMaterial" (
    "id" BIGSERIAL NOT NULL,
    "unitId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "documentRef" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SealedMaterial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircularRecord" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "number" TEXT,
    "month" TEXT NOT NULL,
    "units" TEXT[],
    "title" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "ground" TEXT,
    "tickets" TEXT[],
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CircularRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Appeal_ticketNo_key" ON "Appeal"("ticketNo");

-- CreateIndex
CREATE INDEX "Appeal_unitId_packageMonth_idx" ON "Appeal"("unitId", "packageMonth");

-- CreateIndex
CREATE INDEX "Appeal_status_idx" ON "Appeal"("status");

-- CreateIndex
CREATE UNIQUE INDEX "AppealPackage_unitId_month_key" ON "AppealPackage"("unitId", "month");

-- CreateIndex
CREATE INDEX "KnowledgeEntry_unitId_idx" ON "KnowledgeEntry"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgeEntryVersion_entryId_version_key" ON "KnowledgeEntryVersion"("entryId", "version");

-- CreateIndex
CREATE INDEX "MonthlyFiling_month_kind_idx" ON "MonthlyFiling"("month", "kind");

-- CreateIndex
CREATE INDEX "CircularRecord_kind_month_idx" ON "CircularRecord"("kind", "month");

-- CreateIndex
CREATE INDEX "Ticket_dispatchedAt_idx" ON "Ticket"("dispatchedAt");

-- CreateIndex
CREATE INDEX "Ticket_closedAt_idx" ON "Ticket"("closedAt");

-- AddForeignKey
ALTER TABLE "KnowledgeEntryVersion" ADD CONSTRAINT "KnowledgeEntryVersion_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "KnowledgeEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- 第三十一条: the units that file the monthly reports on the 12345 platform
UPDATE "Unit" SET "owesMonthlyReports" = true WHERE "id" IN ('road-transport-bureau', 'port-shipping-bureau', 'transport-enforcement-corps', 'service-division', 'highway-center', 'comprehensive-service-center');
